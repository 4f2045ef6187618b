topolgy('t') {
    box('a') { image 'demo' }
}
