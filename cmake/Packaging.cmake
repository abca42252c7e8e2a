# Installing and packaging (issue 15): what `cmake --install` puts where
# beside the executables (whose install() rules sit next to their targets:
# app/, app/serve/, engine/tools/), and the Debian package CPack builds from
# exactly that (`./dev.sh package`, tests/package/). The Windows, macOS and
# Flatpak builds in packaging/README.md start from the same install rules.
include(GNUInstallDirs)

set(PONDER_APP_ID app.ponder.Ponder)
# The project's site; a placeholder until there is one (metainfo, package).
set(PONDER_HOMEPAGE_URL "https://ponder.app")
set(PONDER_MAINTAINER "The Ponder developers <maintainer@ponder.app>")
# The day PROJECT_VERSION is released, for the metainfo and the changelog.
set(PONDER_RELEASE_DATE 2026-12-05)
set(PONDER_RELEASE_DATE_RFC2822 "Sat, 05 Dec 2026 00:00:00 +0000")

set(CPACK_PACKAGE_NAME ponder)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Ponder developers")
set(CPACK_PACKAGE_CONTACT "${PONDER_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "chat with reasoning models on your own GPU")
set(CPACK_STRIP_FILES ON)

# `cmake --install` and cpack install what is built; they do not build
# (./dev.sh package builds first). So the package test, run by ctest after
# the build, never starts a build of its own in the build tree.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# Windows and macOS: packaging/README.md (windeployqt/macdeployqt, NSIS or
# WiX, a DragNDrop image); CPack's defaults for those platforms apply.
if(NOT (UNIX AND NOT APPLE))
    include(CPack)
    return()
endif()

set(linux_dir ${PROJECT_SOURCE_DIR}/packaging/linux)
set(out_dir ${PROJECT_BINARY_DIR}/packaging)

# Desktop entry, MIME type for .gguf, AppStream metainfo.
install(FILES ${linux_dir}/${PONDER_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${linux_dir}/${PONDER_APP_ID}.mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
        RENAME ${PONDER_APP_ID}.xml)
configure_file(${linux_dir}/${PONDER_APP_ID}.metainfo.xml.in ${out_dir}/${PONDER_APP_ID}.metainfo.xml @ONLY)
install(FILES ${out_dir}/${PONDER_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)

# The icon: the SVG, and PNGs rendered from it at build time.
install(FILES ${linux_dir}/${PONDER_APP_ID}.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
find_program(PONDER_RSVG_CONVERT rsvg-convert)
set(package_files)
if(PONDER_RSVG_CONVERT)
    foreach(size 48 128 256)
        set(png ${out_dir}/icons/${size}x${size}/${PONDER_APP_ID}.png)
        add_custom_command(OUTPUT ${png}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}/icons/${size}x${size}
            COMMAND ${PONDER_RSVG_CONVERT} -w ${size} -h ${size} -o ${png} ${linux_dir}/${PONDER_APP_ID}.svg
            DEPENDS ${linux_dir}/${PONDER_APP_ID}.svg
            COMMENT "Rendering the ${size}x${size} icon")
        list(APPEND package_files ${png})
        install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
else()
    message(WARNING "rsvg-convert (librsvg2-bin) not found: the PNG icons are neither rendered nor installed")
endif()

# MathJax (npm, resources/mathjax, installed by dev.sh), which app/chat/math
# runs in a QJSEngine: only the compiled .js files its require() reaches
# (TeX input, SVG output, the lite DOM; no accessibility, menus, CommonHTML,
# MathML or AsciiMath input) and the mhchem parser, with their licences, in
# /usr/share/ponder/mathjax (MathJaxEngine::findNodeModules() looks beside bin/).
# OPTIONAL: a tree without MathJax still installs; formulas then show as source.
set(mathjax_modules ${PROJECT_SOURCE_DIR}/resources/mathjax/node_modules)
set(mathjax_destination ${CMAKE_INSTALL_DATADIR}/ponder/mathjax)
install(DIRECTORY ${mathjax_modules}/mathjax-full/js DESTINATION ${mathjax_destination}/mathjax-full OPTIONAL
        FILES_MATCHING PATTERN "*.js"
        PATTERN "a11y" EXCLUDE PATTERN "ui" EXCLUDE PATTERN "chtml" EXCLUDE PATTERN "asciimath" EXCLUDE
        PATTERN "mathml" EXCLUDE)
install(FILES ${mathjax_modules}/mathjax-full/LICENSE DESTINATION ${mathjax_destination}/mathjax-full OPTIONAL)
install(FILES ${mathjax_modules}/mhchemparser/dist/mhchemParser.js
        DESTINATION ${mathjax_destination}/mhchemparser/dist OPTIONAL)
install(FILES ${mathjax_modules}/mhchemparser/LICENSE.txt DESTINATION ${mathjax_destination}/mhchemparser OPTIONAL)

# Debian's documentation files: copyright, the changelog (gzip -9n, as
# lintian wants it), and lintian's overrides with the reason for each.
configure_file(${linux_dir}/changelog.in ${out_dir}/changelog @ONLY)
find_program(PONDER_GZIP gzip REQUIRED)
add_custom_command(OUTPUT ${out_dir}/changelog.gz
    COMMAND ${PONDER_GZIP} -9nc ${out_dir}/changelog > ${out_dir}/changelog.gz
    DEPENDS ${out_dir}/changelog
    COMMENT "Compressing the Debian changelog")
list(APPEND package_files ${out_dir}/changelog.gz)
add_custom_target(ponder_package_files ALL DEPENDS ${package_files})
install(FILES ${linux_dir}/copyright ${out_dir}/changelog.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/ponder)
install(FILES ${linux_dir}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME ponder)

# The Debian package: ponder_<version>_amd64.deb.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PONDER_HOMEPAGE_URL}")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Ponder is a desktop chat application for reasoning models such as the
DeepSeek-R1 distills. Answers stream in, the model's reasoning sits in a
collapsible section, and code is highlighted. Its inference engine runs
in Vulkan compute shaders, on a GPU of any vendor or on the CPU, and it
can also chat with any OpenAI-compatible server.
.
This package has the application, which opens GGUF model files from the
desktop, and the command-line tools ponder-cli, ponder-bench,
ponder-compare and ponder-server.")
# Libraries from the binaries (dpkg-shlibdeps), and what runs beside them:
# Mesa's Vulkan drivers (lavapipe when there is no GPU driver), KDE's
# highlighter, a CJK font, and the Qt plugins and QML modules the app loads
# at run time, and Qt's own translations for the standard dialogs: those
# of packaging/debian-packages.txt, so there is one list.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
file(STRINGS ${PROJECT_SOURCE_DIR}/packaging/debian-packages.txt qt_runtime
     REGEX "^(qml6-module-[a-z0-9-]+|qt6-qpa-plugins|libqt6sql6-sqlite|libqt6svg6|qt6-translations-l10n)$")
set(depends mesa-vulkan-drivers libkf5syntaxhighlighting-tools fonts-noto-cjk ${qt_runtime})
list(JOIN depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/packaging/debian-packages.txt)
include(CPack)
