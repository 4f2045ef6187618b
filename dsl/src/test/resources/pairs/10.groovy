topology('p10') {
    box('app') { image 'demo'; user 'nobody'; workdir '/srv'; restart 'on-failure:3'; readOnly true; labels a: 'b' }
}
