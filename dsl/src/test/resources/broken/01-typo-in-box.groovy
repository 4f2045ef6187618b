topology('t') {
    box('a') {
        image 'demo'
        comand 'true'
    }
}
