# ponder_set_warnings(target): the warning set every target of ours builds with.
function(ponder_set_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
        -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
        -Wno-missing-field-initializers)
endfunction()
