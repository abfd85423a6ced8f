# Helpers shared by every module's CMakeLists.txt.

# stepline_library(name SOURCES ... DEPS ...)
# A static library; includes are rooted at the repository top ("engine/...").
function(stepline_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PCH" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  target_precompile_headers(${name} PRIVATE
    <nlohmann/json.hpp> <string> <string_view> <vector> <memory> <optional> <functional>
    ${ARG_PCH})
endfunction()

# stepline_test(name SOURCES ... DEPS ...)
# A Catch2 test executable registered with CTest (the main is compiled once).
function(stepline_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE stepline_catch_main ${ARG_DEPS})
  target_precompile_headers(${name} REUSE_FROM stepline_catch_main)
  add_test(NAME ${name} COMMAND ${name})
endfunction()

# Adds a subdirectory only when its CMakeLists.txt exists (modules arrive over time).
function(stepline_optional_subdirs)
  foreach(dir ${ARGN})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/CMakeLists.txt)
      add_subdirectory(${dir})
    endif()
  endforeach()
endfunction()
