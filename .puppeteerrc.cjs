// puppeteer-core never downloads a browser; this keeps a stray `puppeteer` install from trying.
module.exports = { skipDownload: true };
