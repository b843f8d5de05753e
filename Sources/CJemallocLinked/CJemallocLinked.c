/* CJemallocLinked: links libjemalloc into the executables that depend on it (the swiftmalloc tools, the tests, and
 * hosts using the JemallocBackend or SwiftMallocRegistry products), so that jemalloc is loaded at start-up, where
 * its initial-exec TLS fits, and becomes the process-wide malloc as Debian builds it. libSwiftMalloc.so leaves it
 * out so that it can be dlopen'ed; its jemalloc backend then finds jemalloc in the host process if there is one. */
#include "CJemallocLinked.h"
