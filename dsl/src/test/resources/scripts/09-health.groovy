topology('health') {
    box('db') {
        image 'demo'
        healthcheck { exec 'pg_isready'; interval 2.s; timeout 500.ms; retries 10; startPeriod 1.m }
    }
    box('api') {
        image 'demo'
        healthcheck { shell 'wget -qO- localhost/health' }
    }
}
