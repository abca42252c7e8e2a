# PONDER_SANITIZE=ON builds everything with AddressSanitizer and
# UndefinedBehaviorSanitizer (the debug-asan preset turns it on).
option(PONDER_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(PONDER_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
