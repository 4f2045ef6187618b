# escape=`
FROM demo
RUN echo c:\windows\path `
    && echo next
COPY C:\src\ C:\dst\
