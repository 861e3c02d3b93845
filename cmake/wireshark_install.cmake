# SPDX-License-Identifier: GPL-2.0-or-later
# expose_install_for_wireshark(FILE f TYPE MODULE|FILE OVERRIDE dir GLOBAL dir
#                              PERSONAL subfolder [PERMISSIONS p...])
# Install one file where Wireshark 4.0 looks for it.  Decided when
# installing, not when configuring: root installs into the GLOBAL folder
# (Wireshark ignores the personal folder and WIRESHARK_PLUGIN_DIR when run
# as root), anyone else into ~/.local/lib/wireshark/plugins/PERSONAL.  A
# non-empty OVERRIDE (a cache variable for packagers, with DESTDIR) wins.
function(expose_install_for_wireshark)
  cmake_parse_arguments(A "" "FILE;TYPE;OVERRIDE;GLOBAL;PERSONAL" "PERMISSIONS" ${ARGN})
  set(_perms "")
  if(A_PERMISSIONS)
    string(JOIN " " _perms PERMISSIONS ${A_PERMISSIONS})
  endif()
  install(CODE "
    set(_dir \"${A_OVERRIDE}\")
    if(NOT _dir)
      execute_process(COMMAND id -u OUTPUT_VARIABLE _uid OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(_uid STREQUAL \"0\")
        set(_dir \"${A_GLOBAL}\")
      else()
        set(_dir \"\$ENV{HOME}/.local/lib/wireshark/plugins${A_PERSONAL}\")
      endif()
    endif()
    file(INSTALL DESTINATION \"\${_dir}\" TYPE ${A_TYPE} ${_perms} FILES \"${A_FILE}\")
  " COMPONENT plugin)
endfunction()
