package io.krunbox.junit;

/** What a {@link Box} field holds: started for its tests, stopped and removed after. */
interface Startable {
    void start(Session session);

    void stop();
}
