// Admin: the slug a new record's name suggests is short: at most 60 characters, cut at the end
// of a word ("readmission-agreement-between-the-european-union-and-the", not "…-and-the-republ").
// Django's prepopulate.js makes the slug with the global URLify (admin/js/urlify.js, loaded
// before this file); this wraps it. An existing record's slug is never changed: prepopulate.js
// leaves a slug field that has a value alone.
'use strict';
{
    const MAX_LENGTH = 60;
    const urlify = window.URLify;

    function cutAtWord(slug, maxLength) {
        if (slug.length <= maxLength) {
            return slug;
        }
        const cut = slug.slice(0, maxLength + 1); // a hyphen just after the limit ends a word
        const end = cut.lastIndexOf('-');
        return (end > 0 ? cut.slice(0, end) : slug.slice(0, maxLength)).replace(/-+$/, '');
    }

    if (urlify) {
        window.URLify = function(text, maxLength, allowUnicode) {
            // The whole slug first (not cut mid-word at the field's own limit), then cut at a word.
            return cutAtWord(urlify(text, text.length, allowUnicode), Math.min(maxLength, MAX_LENGTH));
        };
    }
}
