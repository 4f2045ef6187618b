/** The runtime's shared basics, which every other runtime package may use and which use none of them: the home directory, box names, host commands, errors. */
package io.krunbox.runtime.base;
