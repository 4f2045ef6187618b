/** The runtime's front door: {@link io.krunbox.runtime.BoxRunner} runs boxes, {@link io.krunbox.runtime.Boxes} finds, stops and removes them,
 *  {@link io.krunbox.runtime.TopologyRunner} brings topologies up and down. Every other runtime package sits below it. */
package io.krunbox.runtime;
