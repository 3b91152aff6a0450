# Installed host SDK files and man pages; included from the top-level
# CMakeLists.txt after the targets exist. Everything here follows
# GNUInstallDirs, so `-DCMAKE_INSTALL_PREFIX=/usr` on Debian puts the
# arch-dependent files under /usr/lib/<triplet>/.
include(CMakePackageConfigHelpers)

# The ABI version the installed header describes, read from the header so
# the two cannot disagree.
file(STRINGS "${PROJECT_SOURCE_DIR}/abi/alien/artifact_registry.h" _abi_lines
     REGEX "^#define ALIEN_AR_ABI_(MAJOR|MINOR) [0-9]+$")
foreach(_line IN LISTS _abi_lines)
  if(_line MATCHES "^#define ALIEN_AR_(ABI_MAJOR|ABI_MINOR) ([0-9]+)$")
    set(ALIEN_AR_${CMAKE_MATCH_1} ${CMAKE_MATCH_2})
  endif()
endforeach()
if(NOT DEFINED ALIEN_AR_ABI_MAJOR OR NOT DEFINED ALIEN_AR_ABI_MINOR)
  message(FATAL_ERROR "cannot read ALIEN_AR_ABI_MAJOR/MINOR from the header")
endif()
set(ALIEN_AR_ABI_VERSION "${ALIEN_AR_ABI_MAJOR}.${ALIEN_AR_ABI_MINOR}")

# pkg-config: paths relative to ${prefix} when GNUInstallDirs gives relative
# ones (the usual case), absolute ones kept as given.
foreach(_kind LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_kind}}")
    set(ALIEN_AR_PC_${_kind} "${CMAKE_INSTALL_${_kind}}")
  else()
    set(ALIEN_AR_PC_${_kind} "\${prefix}/${CMAKE_INSTALL_${_kind}}")
  endif()
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/pkgconfig/alien-artifact-registry.pc.in
               ${PROJECT_BINARY_DIR}/alien-artifact-registry.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/alien-artifact-registry.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# CMake package: find_package(AlienArtifactRegistry) gives the imported
# header target AlienArtifactRegistry::headers and the plugin's path.
set(ALIEN_AR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/AlienArtifactRegistry)
set(ALIEN_AR_CONFIG_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR})
set(ALIEN_AR_CONFIG_PLUGINSDIR ${ALIEN_AR_PLUGINS_DIR})
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/cmake/AlienArtifactRegistryConfig.cmake.in
  ${PROJECT_BINARY_DIR}/AlienArtifactRegistryConfig.cmake
  INSTALL_DESTINATION ${ALIEN_AR_CMAKE_DIR}
  PATH_VARS ALIEN_AR_CONFIG_INCLUDEDIR ALIEN_AR_CONFIG_PLUGINSDIR)
# The package version is the ABI version: a host built against ABI 1.x
# works with any plugin of major 1 (the minor is negotiated at run time).
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/AlienArtifactRegistryConfigVersion.cmake
  VERSION ${ALIEN_AR_ABI_VERSION}
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/AlienArtifactRegistryConfig.cmake
              ${PROJECT_BINARY_DIR}/AlienArtifactRegistryConfigVersion.cmake
        DESTINATION ${ALIEN_AR_CMAKE_DIR})

# Man pages: alien-ar(1) and alien-artifact-registry(7), with the real
# install paths filled in.
foreach(_page alien-ar.1 alien-artifact-registry.7)
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" _section ${_page})
  configure_file(${CMAKE_CURRENT_LIST_DIR}/man/${_page}.in
                 ${PROJECT_BINARY_DIR}/man/${_page} @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/man/${_page}
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man${_section})
endforeach()
