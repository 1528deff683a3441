# provision_layer(NAME DIR DEPS...) defines one static library per source folder.
# Sources are globbed so that adding a file to a layer needs no CMake edit; the
# link graph (DEPS) is the architecture, and the compiler enforces it: a layer's
# include path holds only a view of its own folder (build/layers/NAME/DIR, a link to
# src/DIR), and the views of the layers it links arrive with them. An #include of a
# layer it does not link is "No such file" at compile time (test: layering_*).
function(provision_layer name dir)
  file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cpp")
  if(NOT sources)
    # A layer whose issue has not landed yet still exists in the link graph.
    set(empty "${CMAKE_CURRENT_BINARY_DIR}/${name}_empty.cpp")
    file(WRITE "${empty}" "// ${name} has no sources yet\n")
    set(sources "${empty}")
  endif()
  add_library(${name} STATIC ${sources})
  provision_layer_view(${name} "${PROJECT_SOURCE_DIR}/src" ${dir})
  target_link_libraries(${name} PRIVATE provision_warnings PUBLIC provision_sanitizers ${ARGN})
endfunction()

# provision_layer_view(TARGET ROOT DIR): TARGET (and whoever links it) may include
# "DIR/..." from ROOT/DIR, and nothing else of ROOT.
function(provision_layer_view target root dir)
  set(view "${PROJECT_BINARY_DIR}/layers/${target}")
  get_filename_component(parent "${view}/${dir}" DIRECTORY)
  file(MAKE_DIRECTORY "${parent}")
  file(CREATE_LINK "${root}/${dir}" "${view}/${dir}" SYMBOLIC)
  target_include_directories(${target} PUBLIC "${view}")
endfunction()
