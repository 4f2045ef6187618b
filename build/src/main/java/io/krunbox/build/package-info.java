/** Images from Dockerfiles: the Dockerfile front end, the build context and the builder. */
package io.krunbox.build;
