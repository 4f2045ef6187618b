/** Kubernetes YAML for krunbox: the typed model's reader (strict) and writer, shared by generate and play. */
package io.krunbox.kube;
