package dev.parma.deployment.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Whether a failure means the database is away (unreachable, restarting, or the pool exhausted under overload), so
 * the same request can succeed later: a 503 with Retry-After rather than a 500, and a message is tried again rather
 * than dropped. Judged on the SQL causes, whichever layer (Agroal, Hibernate, the transaction manager) wrapped them.
 */
public final class Unavailable {

    /** PostgreSQL's "shutting down", "crash shutdown", "cannot connect now", "too many connections". */
    private static final Set<String> SERVER_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    /** Serialization failure and deadlock: the transaction lost a race and succeeds when run again. */
    private static final Set<String> RACE_STATES = Set.of("40001", "40P01");

    private Unavailable() {
    }

    public static boolean databaseAway(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && (connectionState(s.getSQLState()) || poolTimeout(s))) {
                return true;
            }
        }
        return false;
    }

    /** The database is away or the transaction lost a race: the same work succeeds when tried again later. */
    public static boolean transientFailure(Throwable failure) {
        if (databaseAway(failure)) {
            return true;
        }
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SQLException s && RACE_STATES.contains(s.getSQLState())
                    || t instanceof org.hibernate.exception.LockAcquisitionException
                    || t instanceof jakarta.persistence.OptimisticLockException) {
                return true;
            }
        }
        return false;
    }

    /** SQL state class 08 is "connection exception" in every driver. */
    private static boolean connectionState(String state) {
        return state != null && (state.startsWith("08") || SERVER_STATES.contains(state));
    }

    /** Agroal's pool found no connection in its acquisition timeout (it gives no SQL state). */
    private static boolean poolTimeout(SQLException s) {
        return s.getSQLState() == null && s.getMessage() != null && s.getMessage().startsWith("Acquisition timeout");
    }
}
