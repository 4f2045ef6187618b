/** Kubernetes YAML as a Topology of boxes ({@code kube play}). */
package io.krunbox.kube.play;
