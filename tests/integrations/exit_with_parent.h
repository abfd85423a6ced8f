// kExitWithParentPy: a Python prelude for the helper servers the integration
// tests spawn (moto_server, the fake AWS endpoint). The servers are stopped by
// PID from a static destructor; if the test binary dies before that (abort,
// crash), the prelude's watchdog ends the server once its parent is gone, so
// no orphan keeps CTest's output pipe open and the run cannot hang.
//
// Thread-safety: a constant.
#pragma once

inline constexpr const char* kExitWithParentPy = R"PY(
import os as _os, threading as _threading, time as _time
_parent = _os.getppid()
def _watch_parent():
    while _os.getppid() == _parent:
        _time.sleep(0.2)
    _os._exit(0)
_threading.Thread(target=_watch_parent, daemon=True).start()
)PY";
