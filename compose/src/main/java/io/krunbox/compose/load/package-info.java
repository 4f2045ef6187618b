/** Loading a project: file discovery, .env and interpolation, multi-file merge, extends,
 *  include and profiles, giving one merged tree with every node's position. */
package io.krunbox.compose.load;
