# CMake toolchain file for WALI, installed by scripts/install.sh as
# <prefix>/share/walic/cmake/wali-toolchain.cmake:
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=<prefix>/share/walic/cmake/wali-toolchain.cmake -S src -B build
#
# wali-cc links every executable through walic into a native x86-64 program, so the build is
# not a cross build as far as CMake is concerned: try_run(), check programs and ctest run the
# programs directly. CMAKE_SIZEOF_VOID_P is 4 (wasm32 pointers). C only; no shared libraries.
get_filename_component(_wali_bin "${CMAKE_CURRENT_LIST_DIR}/../../../bin" ABSOLUTE)
set(CMAKE_C_COMPILER "${_wali_bin}/wali-cc")
set(CMAKE_AR "${_wali_bin}/wali-ar" CACHE FILEPATH "WALI archiver")
set(CMAKE_RANLIB "${_wali_bin}/wali-ranlib" CACHE FILEPATH "WALI ranlib")
# WALI programs are single static modules.
set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)
