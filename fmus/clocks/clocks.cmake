# Example FMUs with FMI 3 clocks (fmus/clocks/<Model>/): FMI 3.0 only, each with its own entry points
# (the shared glue has no clocks) and a hand-written modelDescription.xml. Included from ../CMakeLists.txt.
set(CLOCK_FMU_MODELS ClockedTasks SampledRamp)

foreach(MODEL ${CLOCK_FMU_MODELS})
    set(src ${CMAKE_CURRENT_SOURCE_DIR}/clocks/${MODEL})
    set(stage ${CMAKE_CURRENT_BINARY_DIR}/stage/fmi3/${MODEL})
    set(fmu ${FMU_OUTPUT_DIR}/fmi3/${MODEL}.fmu)
    add_library(${MODEL}_fmi3 SHARED ${src}/${MODEL}.c)
    target_include_directories(${MODEL}_fmi3 PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_compile_options(${MODEL}_fmi3 PRIVATE ${FMU_WARNINGS})
    target_link_options(${MODEL}_fmi3 PRIVATE -Wl,--no-undefined)
    target_link_libraries(${MODEL}_fmi3 PRIVATE m)
    set_target_properties(${MODEL}_fmi3 PROPERTIES
        OUTPUT_NAME ${MODEL}
        PREFIX ""
        C_VISIBILITY_PRESET hidden
        POSITION_INDEPENDENT_CODE ON
        LIBRARY_OUTPUT_DIRECTORY ${stage}/binaries/${FMI3_PLATFORM})
    add_custom_command(OUTPUT ${stage}/modelDescription.xml
        COMMAND ${CMAKE_COMMAND} -E copy ${src}/modelDescription.xml ${stage}/modelDescription.xml
        DEPENDS ${src}/modelDescription.xml
        COMMENT "modelDescription.xml of ${MODEL} (FMI 3)")
    add_custom_command(OUTPUT ${fmu}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${FMU_OUTPUT_DIR}/fmi3
        COMMAND ${CMAKE_COMMAND} -E tar cf ${fmu}.tmp --format=zip modelDescription.xml binaries
        COMMAND ${CMAKE_COMMAND} -E rename ${fmu}.tmp ${fmu}
        WORKING_DIRECTORY ${stage}
        DEPENDS ${MODEL}_fmi3 ${stage}/modelDescription.xml
        COMMENT "fmi3/${MODEL}.fmu")
    add_custom_target(${MODEL}_fmi3_fmu ALL DEPENDS ${fmu})
endforeach()
