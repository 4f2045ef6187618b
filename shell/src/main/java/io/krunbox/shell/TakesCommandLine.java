package io.krunbox.shell;

/**
 * A command whose last arguments are a command line for the box ({@code run IMAGE CMD...}):
 * parsing stops at its first positional argument, so the box's own flags stay the box's. Every
 * other command takes its flags anywhere, as Docker's do ({@code rm BOX -f}).
 */
interface TakesCommandLine {
}
