package io.krunbox.runtime.plan;

/**
 * One step of a plan: its kind ({@code image}, {@code rootfs}, {@code krun}, ...), what it
 * does in words, and the action that does it (null for steps another process carries out,
 * such as the libkrun calls the shim makes).
 */
public record Step(String kind, String text, Action action) {
    /** The work of a step. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }
}
