# install() rules and the exported package config, so find_package(psp CONFIG) works.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS psp EXPORT pspTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/psp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT pspTargets NAMESPACE psp:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/psp)
configure_package_config_file(cmake/pspConfig.cmake.in
  ${PROJECT_BINARY_DIR}/pspConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/psp)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pspConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/pspConfig.cmake ${PROJECT_BINARY_DIR}/pspConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/psp)
