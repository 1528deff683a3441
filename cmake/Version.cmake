# build/generated/provision_build_info.hpp: the git commit (when built from a git checkout)
# and the build type, for `provision version`. Regenerated on every build by
# cmake/WriteBuildInfo.cmake, which rewrites the header only when its text changes, so a
# new commit recompiles one file and an unchanged tree recompiles nothing.
set(provision_build_info ${PROJECT_BINARY_DIR}/generated/provision_build_info.hpp)
add_custom_target(provision_build_info
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUTPUT=${provision_build_info}
          "-DBUILD_TYPE=${CMAKE_BUILD_TYPE}" -P ${PROJECT_SOURCE_DIR}/cmake/WriteBuildInfo.cmake
  BYPRODUCTS ${provision_build_info}
  COMMENT "Checking the git commit for provision version"
  VERBATIM)
add_dependencies(provision_cli provision_build_info)
target_include_directories(provision_cli PRIVATE ${PROJECT_BINARY_DIR}/generated)
