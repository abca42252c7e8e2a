// MathJax 3 set up for Ponder: TeX in, one self-contained SVG out. Loaded
// by MathJaxEngine into a QJSEngine through its own require(), which reads
// only mathjax-full and mhchemparser. Defines typeset(tex, display), which
// returns the SVG text or throws on a TeX error.
//
// Packages: what models write (AMS, cases, boldsymbol, colour, cancel,
// braket, mathtools, mhchem...). Left out on purpose: html (\href, \class,
// \style), require and autoload (load more code), action (\toggle), noerrors
// and noundefined (a formula that does not parse shows its source instead),
// setoptions, bussproofs, physics (large, rarely used).
var mathjax = require('mathjax-full/js/mathjax.js').mathjax;
var TeX = require('mathjax-full/js/input/tex.js').TeX;
var SVG = require('mathjax-full/js/output/svg.js').SVG;
var liteAdaptor = require('mathjax-full/js/adaptors/liteAdaptor.js').liteAdaptor;
var RegisterHTMLHandler = require('mathjax-full/js/handlers/html.js').RegisterHTMLHandler;

var packages = ['base', 'ams', 'amscd', 'boldsymbol', 'braket', 'cancel', 'cases', 'centernot',
                'color', 'colortbl', 'configmacros', 'empheq', 'enclose', 'extpfeil', 'gensymb',
                'mathtools', 'mhchem', 'newcommand', 'textcomp', 'textmacros', 'upgreek', 'verb'];
var packageFiles = {
    base: 'base/BaseConfiguration', ams: 'ams/AmsConfiguration', amscd: 'amscd/AmsCdConfiguration',
    boldsymbol: 'boldsymbol/BoldsymbolConfiguration', braket: 'braket/BraketConfiguration',
    cancel: 'cancel/CancelConfiguration', cases: 'cases/CasesConfiguration',
    centernot: 'centernot/CenternotConfiguration', color: 'color/ColorConfiguration',
    colortbl: 'colortbl/ColortblConfiguration', configmacros: 'configmacros/ConfigMacrosConfiguration',
    empheq: 'empheq/EmpheqConfiguration', enclose: 'enclose/EncloseConfiguration',
    extpfeil: 'extpfeil/ExtpfeilConfiguration', gensymb: 'gensymb/GensymbConfiguration',
    mathtools: 'mathtools/MathtoolsConfiguration', mhchem: 'mhchem/MhchemConfiguration',
    newcommand: 'newcommand/NewcommandConfiguration', textcomp: 'textcomp/TextcompConfiguration',
    textmacros: 'textmacros/TextMacrosConfiguration', upgreek: 'upgreek/UpgreekConfiguration',
    verb: 'verb/VerbConfiguration'
};
for (var i = 0; i < packages.length; i++)
    require('mathjax-full/js/input/tex/' + packageFiles[packages[i]] + '.js');

var adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
var texInput = new TeX({
    packages: packages,
    // A TeX error is an exception, so that the caller shows the source.
    formatError: function (jax, error) { throw error; },
    // Bounds on runaway macros (\def\a{\a\a}): an error, not a hang.
    maxMacros: 1000,
    maxBuffer: 20 * 1024
});
// fontCache none: every glyph is a path inside the SVG, no <use> of shared defs.
var svgOutput = new SVG({ fontCache: 'none' });
var mathDocument = mathjax.document('', { InputJax: texInput, OutputJax: svgOutput });

// Macros a formula defines (\newcommand, \def, \DeclareMathOperator) live in
// maps of the TeX input for the life of the document; emptied after every
// formula so that one formula cannot change how the next renders
// (\renewcommand\frac). Found through the parser's own handlers: the global
// registry by name (MapHandler.getMap) holds textmacros' copies instead.
var definitionMapNames = ['new-Command', 'new-Environment', 'new-Delimiter', 'ams-declare-ops'];
var definitionMaps = [];
['macro', 'environment', 'delimiter', 'character'].forEach(function (kind) {
    var handler = texInput.parseOptions.handlers.get(kind);
    var items = handler ? handler._configuration.items : [];
    for (var i = 0; i < items.length; i++) {
        var map = items[i].item;
        if (definitionMapNames.indexOf(map.name) >= 0 && definitionMaps.indexOf(map) < 0)
            definitionMaps.push(map);
    }
});

function forgetDefinitions() {
    for (var i = 0; i < definitionMaps.length; i++)
        definitionMaps[i].map.clear();
}

function typeset(tex, display) {
    try {
        var node = mathDocument.convert(tex, { display: display, em: 16, ex: 8, containerWidth: 1280 });
        return adaptor.innerHTML(node);
    } finally {
        forgetDefinitions();
    }
}
