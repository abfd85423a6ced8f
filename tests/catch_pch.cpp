// Compiled with the shared precompiled header so that CMake generates it for
// every test target that reuses it (catch_main.cpp itself must skip it).
