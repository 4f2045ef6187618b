topology('t') {
    box('a') {
        image 'demo'
        healthcheck { exec 'true'; intervall 2.s }
    }
}
