/** The vm isolation: the JNA binding to libkrun, the per-box shim process that enters the VM,
 *  the libkrun call plan and the boot watchdog. The only package that touches JNA. */
package io.krunbox.runtime.isolation.vm;
