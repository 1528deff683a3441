# Files generated for installation (install rules and the package come next).
# Man pages and completion scripts, generated at build time from the parser's command
# table by provision-gen-docs (src/tools/gen_docs.cpp), then the pages gzipped (-n: the same
# bytes on every build).
add_executable(provision-gen-docs ${PROJECT_SOURCE_DIR}/src/tools/gen_docs.cpp)
target_link_libraries(provision-gen-docs PRIVATE provision_cli provision_emulator_lib provision_warnings)
set(provision_docs_dir ${PROJECT_BINARY_DIR}/docs)
add_custom_command(
  OUTPUT ${provision_docs_dir}/stamp
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${provision_docs_dir}/man1 ${provision_docs_dir}/completions
  COMMAND provision-gen-docs ${provision_docs_dir}
  COMMAND sh -c "gzip -9nkf '${provision_docs_dir}'/man1/*.1"
  COMMAND ${CMAKE_COMMAND} -E touch ${provision_docs_dir}/stamp
  DEPENDS provision-gen-docs
  COMMENT "Generating man pages and shell completions"
  VERBATIM)
add_custom_target(provision_docs ALL DEPENDS ${provision_docs_dir}/stamp)
