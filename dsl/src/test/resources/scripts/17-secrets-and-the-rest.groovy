topology('rest') {
    secret 'db_password', file: './pw.txt'
    config 'app_conf', content: 'debug=true'
    box('app') {
        image 'demo'
        secret 'db_password'
        secret 'db_password', target: '/etc/pw'
        config 'app_conf', target: '/etc/app.conf'
        expose 80, '443'
        init true
        stopSignal 'SIGINT'
        stopGracePeriod 90.s
        ulimits nproc: 512, nofile: [soft: 1024, hard: 2048]
    }
}
