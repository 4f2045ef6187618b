topology('t') {
    box('a') {
        image demo
    }
}
