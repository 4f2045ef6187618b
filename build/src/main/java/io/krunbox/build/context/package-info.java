/** The build context: its files, .dockerignore, and sources resolved without leaving it. */
package io.krunbox.build.context;
