# Cross-compiling for 64-bit Arm Linux with Debian's cross toolchain
# (g++-aarch64-linux-gnu) against arm64 packages installed multiarch
# (dpkg --add-architecture arm64; e.g. libhwy-dev:arm64), whose libraries
# live in /usr/lib/aarch64-linux-gnu. Programs run under qemu-user, which
# CMake uses for add_test() of a target and try_run().
#   cmake -S tests/cross -B build/cross-arm64 \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Headers and libraries of the arm64 packages: the multiarch directories,
# which the cross compiler already searches; never the host's x86 libraries.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

find_program(PONDER_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(PONDER_QEMU_AARCH64)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${PONDER_QEMU_AARCH64})
endif()
