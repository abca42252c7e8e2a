# ponder_add_test(<name> SOURCES <files...> [LIBS <targets...>] [LABELS <labels...>]
#                 [ENVIRONMENT <VAR=value...>] [TIMEOUT <seconds>])
#
# Adds one Qt Test suite as an executable and a CTest test of the same name.
# Labels group suites (engine, vulkan, app, ui, slow) for `ctest -L`.
# Vulkan suites run with the Khronos validation layer on and fail on any
# message it prints.
function(ponder_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS;ENVIRONMENT" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    set_target_properties(${name} PROPERTIES AUTOMOC ON)
    ponder_set_warnings(${name})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    add_test(NAME ${name} COMMAND ${name})
    # PONDER_TEST_DECODE_RATE_BYTES: the app's decode-rate measures (app/models/device_bandwidth.h)
    # over 1 MiB, so no suite that starts the app pays a full measure in its background.
    set(env "QT_QPA_PLATFORM=offscreen" "PONDER_SOURCE_DIR=${PROJECT_SOURCE_DIR}" "PONDER_TEST_DECODE_RATE_BYTES=1048576"
        ${ARG_ENVIRONMENT})
    if("vulkan" IN_LIST ARG_LABELS)
        list(APPEND env "PONDER_VALIDATION=1")
    endif()
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT "${env}")
    if(ARG_TIMEOUT)
        set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
    endif()
endfunction()
