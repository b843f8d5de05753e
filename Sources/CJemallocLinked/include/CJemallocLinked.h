/* CJemallocLinked declares nothing: the target exists for its link setting (see CJemallocLinked.c). */
#ifndef CJEMALLOCLINKED_H
#define CJEMALLOCLINKED_H
#endif
