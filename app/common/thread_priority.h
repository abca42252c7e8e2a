// Background threads yield to the UI thread when they compete for a core.
//
// QThread's priorities do nothing for ordinary threads on Linux (SCHED_OTHER
// has a single static priority, so QThread::LowPriority maps to the same
// one); what the kernel's scheduler weighs between them is each thread's
// nice value. On a two-core machine a formula typesetter running beside the
// UI thread otherwise takes half of the UI thread's time while a long answer
// is shown.
#pragma once

namespace ponder::app {

// Lowers the calling thread's scheduling weight by `steps` nice levels (at
// most to the lowest, 19). Threads it starts afterwards inherit the value.
// Returns false where the platform has no per-thread nice value or it could
// not be set; the thread then runs as before.
bool lowerCurrentThreadPriority(int steps);

// The calling thread's nice value (Linux); 0 elsewhere.
int currentThreadNice();

} // namespace ponder::app
