/* Citation numbers on a touch screen: the first tap shows the source's preview
   (Material's tooltip, which opens when the number takes focus) and stays on the
   line being read; a second tap on the same number follows it to the reference list.
   With a mouse (hover shows the preview) and with a keyboard, a click follows at once.
   While a number waits for its second tap, body.citation-armed lets citations.css
   say so at the foot of the preview. */
(function () {
  "use strict";
  var touch = window.matchMedia("(hover: none)");
  var armed = null;
  function arm(link) {
    armed = link;
    document.body.classList.toggle("citation-armed", link !== null);
  }
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target instanceof Element ? event.target.closest("sup.citation a[href]") : null;
      if (!link || !touch.matches) {
        arm(null);
        return;
      }
      if (armed === link) {
        arm(null); // the second tap: go to the list
        return;
      }
      event.preventDefault();
      arm(link);
      link.focus({ preventScroll: true });
    },
    true
  );
  document.addEventListener("focusout", function (event) {
    if (event.target === armed) {
      arm(null);
    }
  });
})();
