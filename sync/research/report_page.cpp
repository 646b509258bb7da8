// report_page.cpp - the report page's style sheet and script (see report_page.h):
//   kReportStyle   one style sheet for screen and print; sizes in rem/em so 200 % zoom reflows,
//                  bars sized in em, tables kept whole on paper, colours printed
//   kReportScript  recounts every figure for the filters chosen in the page
#include "report_page.h"

namespace tk {

const char* const kReportStyle = R"(body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#111;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-top:1px solid #999;padding-top:.6rem}h3{font-size:1rem}
table{border-collapse:collapse;margin:.3rem 0}td,th{padding:.15rem .5rem;text-align:left;vertical-align:top}
td.cnt,td.pct,td.ci,td.st{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.ci{color:#333}
tr:nth-child(even){background:#f2f2f2}
svg rect{fill:#1d5fa8}.note,.meta{color:#444;font-size:.9rem}ol.texts li{margin:.2rem 0}ol.texts small{color:#666}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:2px solid #1d5fa8}
.filters label{margin-right:.8rem;white-space:nowrap}
.wide{overflow-x:auto}.comp{display:flex;flex-wrap:wrap;gap:0 1.5rem}.grid td.gc,.grid td.gn{text-align:right;font-variant-numeric:tabular-nums}
.grid .cnt{display:block;font-weight:bold}.grid small{display:block;white-space:nowrap;color:#333}.xt td.xc{text-align:right;font-variant-numeric:tabular-nums;border-left:1px solid #ccc}
.xt .cnt{display:block;font-weight:bold}.xt small{display:block;white-space:nowrap;color:#333}.xt tr.tot{border-top:2px solid #999}
.tally{border:2px dashed #a85f1d;padding:0 1rem;margin-top:2rem}.tally svg rect{fill:#a85f1d}
td.bar svg{width:min(12.5em,20vw);height:.9em;display:block}p code{overflow-wrap:anywhere}.print-only{display:none}
@media (max-width:40rem){.filters{position:static}body{padding:0 .5rem}td,th{padding:.15rem .3rem}}
@media print{.filters{display:none}.print-only{display:block}body{max-width:none;margin:0;padding:0;font-size:10pt}
h2{break-after:avoid}h3{break-after:avoid}table{break-inside:auto}tr,li{break-inside:avoid}
.opts,.grid,.xt,.num{break-inside:avoid}.wide{overflow:visible}tr:nth-child(even){background:none}
td,th{border-bottom:1px solid #bbb}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
)";

// Counts again for the values chosen in the page; the same rules as report.cpp. Every number
// on the page follows the choice: the totals, each question's answered / skipped / not shown /
// not reached, each block's n, counts, %, Wilson intervals, bars, statistics and number of
// texts, the texts shown (and the rows of "andere" texts), and the responses of another
// survey, and the cross-tables with their chi². pct(), wilson(), fx(), gq(), chi() and de() do
// what percent_text(), wilson_interval(), fixed_text(), gamma_q(), chi_square() and
// german_number() do, operation for operation. A fragment like #channel=paper&site=Stadtbibliothek&status=complete chooses on
// opening (a link to a filtered view); choosing in the page writes it back.
const char* const kReportScript = R"JS((function(){
var D=JSON.parse(document.getElementById('tk-data').textContent);
var F=['f-channel','f-site','f-lang','f-event','f-status'].map(function(id){return document.getElementById(id);});
function pct(c,n){if(n<=0)return '0.0';var t=Math.floor((c*2000+n)/(2*n));return Math.floor(t/10)+'.'+(t%10);}
function wilson(c,n){if(n<=0)return '\u2013';var z=1.959963984540054,z2=z*z,nn=n,p=c/nn;
 var den=1+z2/nn,mid=p+z2/(2*nn),half=z*Math.sqrt(p*(1-p)/nn+z2/(4*nn*nn));
 var lo=(mid-half)/den,hi=(mid+half)/den;if(c<=0||lo<0)lo=0;if(c>=n||hi>1)hi=1;
 return de(fx(lo*100,1))+'\u2013'+de(fx(hi*100,1));}
function f2(v){return de(v.toFixed(2));}
function de(t){t=String(t);var m=/^(-?)(\d+)(?:\.(\d+))?$/.exec(t);if(!m)return t;
 return m[1]+m[2].replace(/\B(?=(\d{3})+(?!\d))/g,'.')+(m[3]!==undefined?','+m[3]:'');}
function fx(v,d){var sc=1;for(var i=0;i<d;i++)sc*=10;var t=Math.floor(Math.abs(v)*sc+0.5),s=String(t);
 if(d>0){while(s.length<=d)s='0'+s;s=s.slice(0,s.length-d)+'.'+s.slice(s.length-d);}return (v<0&&t!==0?'-':'')+s;}
function lgh(a){var lg=0,b=a;while(b>1.25){b-=1;lg+=Math.log(b);}if(b<0.75)lg+=0.5723649429247001;return lg;}
function gq(a,x){if(x<=0)return 1;var front=Math.exp(-x+a*Math.log(x)-lgh(a));
 if(x<a+1){var ap=a,sum=1/a,del=sum;for(var k=0;k<1000&&Math.abs(del)>Math.abs(sum)*1e-15;k++){ap+=1;del*=x/ap;sum+=del;}
  return 1-sum*front;}
 var tiny=1e-300,b=x+1-a,c=1/tiny,d=1/b,h=d;
 for(var i=1;i<1000;i++){var an=-i*(i-a);b+=2;d=an*d+b;if(Math.abs(d)<tiny)d=tiny;c=b+an/c;if(Math.abs(c)<tiny)c=tiny;
  d=1/d;var dl=d*c;h*=dl;if(Math.abs(dl-1)<1e-15)break;}
 return h*front;}
function chi(T){var cols=0,rs=[],t=[];T.forEach(function(r){cols=Math.max(cols,r.length);});var cs=[];for(var j=0;j<cols;j++)cs.push(0);
 T.forEach(function(r){var s=0;r.forEach(function(v){s+=v;});if(s===0)return;t.push(r);rs.push(s);for(var j=0;j<cols;j++)cs[j]+=r[j]||0;});
 var keep=[];for(j=0;j<cols;j++)if(cs[j]>0)keep.push(j);
 if(t.length<2||keep.length<2)return 'zu wenige besetzte Zeilen oder Spalten';
 var total=0,x2=0,cells=0,b5=0,b1=false;rs.forEach(function(s){total+=s;});
 t.forEach(function(r,i){keep.forEach(function(j){var e=rs[i]*cs[j]/total,o=r[j]||0;x2+=(o-e)*(o-e)/e;cells++;if(e<5)b5++;b1=b1||e<1;});});
 var df=(t.length-1)*(keep.length-1),p=gq(df/2,x2/2);
 if(b1)return 'eine erwartete Häufigkeit unter 1';if(b5*5>cells)return 'mehr als 20 % der erwarteten Häufigkeiten unter 5';
 return 'χ² = '+de(fx(x2,2))+' · df = '+de(df)+' · '+(p<0.001?'p < 0,001':'p = '+de(fx(p,3)));}
function crosstabs(on){(D.x||[]).forEach(function(X,k){
 var one=function(id){var m={},k=['channel','site','language','event','status'].indexOf(id);
  if(k>=0){D.r.forEach(function(r,i){m[i]=r[k];});return m;}
  D.b[id].e.forEach(function(p){if(!(p[0] in m))m[p[0]]=p[1];});return m;};
 var A=one(X.a),B=one(X.b),c={},at=function(r,cc){return c[r+'\u0000'+cc]||0;};
 Object.keys(A).forEach(function(i){if(!on[i]||!(i in B))return;
  [[A[i],B[i]],[A[i],''],['',B[i]],['','']].forEach(function(p){var t=p[0]+'\u0000'+p[1];c[t]=(c[t]||0)+1;});});
 all('[data-x="'+k+'"]').forEach(function(el){
  if(el.className==='xn'){el.textContent=de(at('',''));return;}
  if(el.className==='chi'){var nk=function(v){return v!=='-na-';},T=X.rk.filter(nk).map(function(r){
    return X.ck.filter(nk).map(function(cc){return at(r,cc);});}),t=chi(T);
   el.textContent=t.charAt(0)==='χ'?t:'χ² nicht berechnet: '+t;return;}
  var r=el.getAttribute('data-r'),cc=el.getAttribute('data-c'),v=at(r,cc),e;
  el.querySelector('.cnt').textContent=de(v);
  if((e=el.querySelector('.rp'))){e.textContent=de(pct(v,at(r,'')));el.querySelector('.rci').textContent=wilson(v,at(r,''));}
  if((e=el.querySelector('.cp'))){e.textContent=de(pct(v,at('',cc)));el.querySelector('.cci').textContent=wilson(v,at('',cc));}});});}
function all(sel){return Array.prototype.slice.call(document.querySelectorAll(sel));}
function q(s){return s.replace(/["\\]/g,'\\$&');}
function update(){
 var want=F.map(function(s){return s.value;}),on=D.r.map(function(r){
  for(var k=0;k<F.length;k++)if(want[k]!==''&&r[k]!==want[k])return false;return true;});
 var cnt=function(list){var c=0;list.forEach(function(i){if(on[i])c++;});return c;};
 var of={sk:'s',hd:'h',nr:'r',ans:'a'};
 Object.keys(D.q).forEach(function(code){var Q=D.q[code];
  all('[data-q="'+q(code)+'"]').forEach(function(el){el.textContent=de(cnt(Q[of[el.className]]));});});
 Object.keys(D.b).forEach(function(id){var B=D.b[id],n=cnt(B.base?D.b[B.base].n:B.n),by={},vals=[];
  var texts=0;
  B.e.forEach(function(p){if(!on[p[0]])return;by[p[1]]=(by[p[1]]||0)+1;texts++;
   if(B.k==='num'){var v=Number(p[1]);if(p[1]!==''&&!isNaN(v))vals.push(v);}});
  all('[data-b="'+q(id)+'"]').forEach(function(el){
   if(el.className==='n'){el.textContent='n = '+de(n);return;}
   if(el.className==='gn'){el.textContent=de(n);return;}
   if(el.className==='tx'){el.textContent='Texte: '+de(texts);return;}
   if(el.className==='ka'){el.textContent='keine Antwort: '+de(cnt(B.ka));return;}
   if(el.hasAttribute('data-k')){var c=by[el.getAttribute('data-k')]||0,bar=el.querySelector('rect');
    el.querySelector('.cnt').textContent=de(c);el.querySelector('.pct').textContent=de(pct(c,n));
    el.querySelector('.ci').textContent=wilson(c,n);
    if(bar)bar.setAttribute('width',n>0?Math.min(200,200*c/n).toFixed(1):'0.0');
    if(B.g)el.style.display=c?'':'none';return;}
   if(el.hasAttribute('data-s')){vals.sort(function(a,b){return a-b;});var m=vals.length,s=el.getAttribute('data-s'),sum=0;
    vals.forEach(function(v){sum+=v;});
    el.textContent=s==='n'?de(m):m===0?'\u2013':s==='mean'?f2(sum/m):s==='min'?f2(vals[0]):s==='max'?f2(vals[m-1]):
     f2(m%2?vals[(m-1)/2]:(vals[m/2-1]+vals[m/2])/2);}});});
 all('tr[data-m]').forEach(function(tr){var k=+tr.getAttribute('data-m'),v=tr.getAttribute('data-v'),c=0;
  D.r.forEach(function(r,i){if(on[i]&&r[k]===v)c++;});var n=cnt(D.r.map(function(r,i){return i;}));
  tr.querySelector('.cnt').textContent=de(c);tr.querySelector('.pct').textContent=de(pct(c,n));
  tr.querySelector('.ci').textContent=wilson(c,n);});
 crosstabs(on);
 all('li[data-i]').forEach(function(li){li.style.display=on[+li.getAttribute('data-i')]?'':'none';});
 var chosen=cnt(D.r.map(function(r,i){return i;}));
 document.getElementById('f-count').textContent=de(chosen);
 document.getElementById('total').textContent=de(chosen);
 var fp=document.getElementById('f-print');
 if(fp){var t=[];F.forEach(function(s){if(s.value!=='')t.push(s.parentNode.firstChild.textContent.trim()+' \u201e'+
  s.options[s.selectedIndex].textContent+'\u201c');});fp.textContent=t.length?'Auswahl: '+t.join(', ')+'.':'';}
 var o=document.getElementById('other-survey');
 if(o){var c=cnt(D.o);o.textContent=de(c);o.parentNode.style.display=c?'':'none';}
}
function from_hash(){
 var h=location.hash.replace(/^#/,''),set=false;
 F.forEach(function(s){s.value='';});
 h.split('&').forEach(function(kv){var i=kv.indexOf('='),s=i>0?document.getElementById('f-'+kv.slice(0,i)):null,v;
  if(F.indexOf(s)<0)return;
  try{v=decodeURIComponent(kv.slice(i+1).replace(/\+/g,' '));}catch(e){return;}
  for(var j=0;j<s.options.length;j++)if(s.options[j].value===v){s.value=v;set=true;}});
 return set;
}
function to_hash(){
 var p=[];F.forEach(function(s){if(s.value!=='')p.push(s.id.slice(2)+'='+encodeURIComponent(s.value));});
 try{history.replaceState(null,'',p.length?'#'+p.join('&'):location.pathname+location.search);}catch(e){}
}
F.forEach(function(s){s.addEventListener('change',function(){update();to_hash();});});
window.addEventListener('hashchange',function(){from_hash();update();});
if(from_hash())update();
})();)JS";

} // namespace tk
