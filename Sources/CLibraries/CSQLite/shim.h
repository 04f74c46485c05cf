#ifndef LOA_CSQLITE_SHIM_H
#define LOA_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast Swift cannot import: SQLite copies the bytes bound. */
static inline sqlite3_destructor_type loa_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
#endif
