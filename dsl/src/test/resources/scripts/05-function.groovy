// a function that adds a box, called from inside a block
def web(String n, int port) {
    box(n) { image 'demo'; ports "127.0.0.1:${port}:80" }
}
topology('fn') {
    web('a', 8081)
    web('b', 8082)
}
