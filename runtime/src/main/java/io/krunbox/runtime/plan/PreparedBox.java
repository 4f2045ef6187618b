package io.krunbox.runtime.plan;

/** A box planned and not yet made: who it will be (its session) and the steps that make and start it. */
public record PreparedBox(BoxSession session, Plan plan) {
    public String name() {
        return session.name;
    }
}
