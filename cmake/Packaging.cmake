# Install rules (GNUInstallDirs, so CMAKE_INSTALL_PREFIX and DESTDIR are honoured) and the
# CPack DEB package. One package, not two: provision-emulator is small, links nothing the
# tool does not already need, and the quick start (scripts/demo.sh, README) runs both, so
# a second package would only add a step for every new user.
include(GNUInstallDirs)
# `cpack` and `ninja install` would otherwise build target `all` first, the whole test
# suite included; they need only the binaries and the generated files (built by default).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS provision RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET provision-emulator)
  install(TARGETS provision-emulator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/schemas/ DESTINATION ${CMAKE_INSTALL_DATADIR}/provision/schemas
        FILES_MATCHING PATTERN "*.json")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/specs/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
        FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/doc/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

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
install(DIRECTORY ${provision_docs_dir}/man1/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        FILES_MATCHING PATTERN "*.1.gz")
# Where the shells look: bash-completion's completionsdir, Debian zsh's vendor-completions
# (in its default $fpath), and fish's vendor_completions.d.
install(FILES ${provision_docs_dir}/completions/provision
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${provision_docs_dir}/completions/_provision
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${provision_docs_dir}/completions/provision.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# Debian policy files (lintian requires them in the package; harmless in a plain install).
# The version is PROJECT_VERSION, without a Debian revision, so this is a native package
# and its changelog is changelog.gz.
set(provision_deb_dir ${PROJECT_BINARY_DIR}/packaging/debian)
configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/changelog.in ${provision_deb_dir}/changelog @ONLY)
add_custom_command(
  OUTPUT ${provision_deb_dir}/changelog.gz
  COMMAND sh -c "gzip -9nc '${provision_deb_dir}/changelog' > '${provision_deb_dir}/changelog.gz'"
  DEPENDS ${provision_deb_dir}/changelog VERBATIM)
add_custom_target(provision_deb_files ALL DEPENDS ${provision_deb_dir}/changelog.gz)
install(FILES ${provision_deb_dir}/changelog.gz ${PROJECT_SOURCE_DIR}/packaging/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME provision)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "provision maintainers <maintainers@users.noreply.r-seed-02bc2ecb.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Ray clusters on Alibaba Cloud EMR Serverless Spark from specs in git")
set(CPACK_PACKAGE_DESCRIPTION "provision turns declarative Ray-cluster YAML specs into clusters on
Alibaba Cloud EMR Serverless Spark: validate, plan, apply, destroy, status and
state commands, with a state file or a PostgreSQL state store shared by CI
runners. provision-emulator, a local HTTPS stand-in for the API, is included
for tests and demos.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # provision_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libpq is opened at run time (src/lazy/libpq_lazy.cpp), so dpkg-shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libpq5 (>= 15)")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
