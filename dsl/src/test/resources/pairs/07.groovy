topology('p07') {
    box('db') { image 'demo'; healthcheck { exec 'true'; interval 2.s; retries 10 } }
    box('web') { image 'demo'; dependsOn 'db', healthy: true }
}
