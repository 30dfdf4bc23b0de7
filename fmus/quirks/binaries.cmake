# Binaries for the quirk corpus that need a different link, included from fmus/CMakeLists.txt.
#
# MissingLibrary: the NoState model linked against libcosimquirk_missing.so.3 (DT_NEEDED), a stub
# that is built here but never put into an archive, so the dynamic loader cannot find it. Output:
#   <build>/quirks/fmi<V>/MissingLibrary/binaries/<platform>/NoState.so
add_library(cosimquirk_missing SHARED ${CMAKE_CURRENT_SOURCE_DIR}/quirks/stub.c)
set_target_properties(cosimquirk_missing PROPERTIES
    SOVERSION 3
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/quirks/stub)

foreach(V 2 3)
    set(target MissingLibrary_fmi${V})
    add_library(${target} SHARED ${GLUE_SOURCES} glue/fmi${V}.c NoState/model.c)
    target_include_directories(${target} PRIVATE ${FMU_INCLUDES} ${CMAKE_CURRENT_SOURCE_DIR}/NoState)
    target_compile_definitions(${target} PRIVATE FMI_VERSION=${V})
    target_compile_options(${target} PRIVATE ${FMU_WARNINGS})
    # --no-as-needed keeps the DT_NEEDED entry although no symbol of the stub is used.
    target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,--no-as-needed)
    target_link_libraries(${target} PRIVATE cosimquirk_missing m)
    set_target_properties(${target} PROPERTIES
        OUTPUT_NAME NoState
        PREFIX ""
        C_VISIBILITY_PRESET hidden
        POSITION_INDEPENDENT_CODE ON
        SKIP_BUILD_RPATH ON                   # no run path to the stub: the loader must not find it
        LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/quirks/fmi${V}/MissingLibrary/binaries/${FMI${V}_PLATFORM})
endforeach()
