topology('p11') {
    secret 'pw', file: './pw.txt'
    box('app') { image 'demo'; secret 'pw'; stopGracePeriod 90.s; init true; expose 80 }
}
