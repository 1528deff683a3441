# provision_layer(NAME DIR DEPS...) defines one static library per source folder.
# Sources are globbed so that adding a file to a layer needs no CMake edit; the
# link graph (DEPS) is the architecture: a layer can only use what it links.
function(provision_layer name dir)
  file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cpp")
  if(NOT sources)
    # A layer whose issue has not landed yet still exists in the link graph.
    set(empty "${CMAKE_CURRENT_BINARY_DIR}/${name}_empty.cpp")
    file(WRITE "${empty}" "// ${name} has no sources yet\n")
    set(sources "${empty}")
  endif()
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE provision_warnings PUBLIC provision_sanitizers ${ARGN})
endfunction()
