/** The Dockerfile front end: directives, lines, instructions, heredocs and variable substitution. */
package io.krunbox.build.dockerfile;
