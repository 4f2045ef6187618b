/** state.db, the one truth of a krunbox home: SQLite in WAL mode, named migrations, transactions; both the image store and the runtime keep their records here. */
package io.krunbox.statedb;
