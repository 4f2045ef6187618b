topology('t') {
    box('a') { image 'demo'; dependsOn 'ghost' }
}
