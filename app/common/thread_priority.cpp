#include "thread_priority.h"

#include <algorithm>

#if defined(__linux__)
#include <cerrno>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace ponder::app {

#if defined(__linux__)

namespace {

// On Linux the "process" of setpriority() may be a thread id: the value is per thread.
id_t currentThreadId()
{
    return id_t(syscall(SYS_gettid));
}

} // namespace

int currentThreadNice()
{
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, currentThreadId());
    return errno == 0 ? nice : 0;
}

bool lowerCurrentThreadPriority(int steps)
{
    const int target = std::min(19, currentThreadNice() + std::max(0, steps));
    return setpriority(PRIO_PROCESS, currentThreadId(), target) == 0;
}

#else

int currentThreadNice()
{
    return 0;
}

bool lowerCurrentThreadPriority(int)
{
    return false;
}

#endif

} // namespace ponder::app
