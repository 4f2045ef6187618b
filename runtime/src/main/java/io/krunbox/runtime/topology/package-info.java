/** Topologies on the host: a project's boxes found from their labels alone, and the depends_on conditions
 *  (started, healthy, completed) a box waits for. */
package io.krunbox.runtime.topology;
